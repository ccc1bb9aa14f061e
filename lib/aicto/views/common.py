"""Shared pieces for every report view: escaped HTML fragments, number formatting, the notebook set-up."""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from aicto.engagement import Engagement, build_engagement
from aicto.playbook import Brand, Playbook, load_playbook
from aicto.problems import InputError
from aicto.profile import Profile, load_profile

FRAGMENTS = Path(__file__).resolve().parents[1] / "templates" / "fragments"
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
NO_MATHS = "tex2jax_ignore mathjax_ignore"  # JupyterLab typesets "$300K-$450K" as maths without these (MathJax 2, 3)


class Html(str):
    """An HTML fragment that notebooks display as a rich output; shown literally, never as maths."""

    def _repr_html_(self) -> str:
        return f'<div class="{NO_MATHS}">{self}</div>'


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(FRAGMENTS)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def fragment(name: str, **context: Any) -> Html:
    return Html(_env().get_template(f"{name}.html.j2").render(**context))


def report_style(brand: Brand) -> str:
    """The CSS of the report fragments in the brand's colours, as the board template includes it."""
    return _env().get_template("style.css.j2").render(brand=brand)


def narrative(playbook: Playbook, name: str, **context: Any) -> Html:
    return Html(playbook.narrative(name).render(**context))


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""
    tone: str = ""


def kpis(items: Sequence[Kpi]) -> Html:
    return fragment("kpis", kpis=items)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], numeric: Sequence[str] = (),
          caption: str = "", empty: str = "Nothing to show.") -> Html:
    return fragment("table", rows=rows, columns=columns, numeric=set(numeric), caption=caption, empty=empty)


def bold(text: str) -> Markup:
    """A trusted bit of emphasis around escaped text, for table cells."""
    return Markup("<strong>{}</strong>").format(text)


def money(amount: float, currency: str = "USD", digits: int = 0) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 1_000_000:
        text = f"{value / 1_000_000:,.{max(digits, 1)}f}M"
    elif value >= 10_000:
        text = f"{value / 1_000:,.0f}K"
    else:
        text = f"{value:,.{digits}f}"
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def _clean_input_errors(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    """Show a bad profile as its plain problem list, never as a traceback."""
    print(str(value), file=sys.stderr)


def _bundle(obj: Any) -> tuple[Any, bool]:
    """What IPython should display for a section's value: a chart becomes its MIME bundle."""
    from aicto.charts import Chart, figure_bundle

    if isinstance(obj, Chart):
        return figure_bundle(obj), True
    return obj, False


def _drawn(obj: Any, raw: bool) -> Any:
    """What a displayed value draws, to tell whether a redraw changes it: a chart's figure (its HTML carries a fresh
    element id each time), anything else itself."""
    from aicto.charts import PLOTLY_MIME

    return obj[PLOTLY_MIME] if raw else obj


def section(method: Callable[..., Any]) -> Callable[..., None]:
    """Mark a view method as a report section: calling it displays its value under a display id, so that
    `View.refresh` can redraw it in place when the inputs change (consultant mode)."""

    @functools.wraps(method)
    def show(self: View, *args: Any, **kwargs: Any) -> None:
        from IPython.display import display

        obj, raw = _bundle(method(self, *args, **kwargs))
        self._shown[method.__name__] = (method, args, kwargs, display(obj, raw=raw, display_id=True))
        self._drawn[method.__name__] = _drawn(obj, raw)

    show.build = method  # type: ignore[attr-defined]
    return show


@dataclass(frozen=True)
class Context:
    profile: Profile
    playbook: Playbook
    profile_path: Path


def open_client(profile_path: str | Path, playbook_dir: str | Path | None = None) -> Context:
    """Notebook set-up: quiet warnings, plain errors for bad input, then load the playbook and the profile."""
    warnings.filterwarnings("ignore")
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.set_custom_exc((InputError,), _clean_input_errors)
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        pass
    playbook = load_playbook(playbook_dir)
    return Context(load_profile(profile_path, playbook), playbook, Path(profile_path))


class View:
    """Base of every report view: sections computed from one Context, redrawn together on `refresh`."""

    def __init__(self, context: Context):
        self.context = context
        self._shown: dict[str, tuple] = {}
        self._drawn: dict[str, Any] = {}  # what each shown section draws now

    @functools.cached_property
    def result_engagement(self) -> Engagement:
        """The client's one engagement; every section of every report reads its figures from it."""
        return build_engagement(self.context.profile, self.context.playbook)

    def money(self, amount: float) -> str:
        """An amount in the client's currency."""
        return money(amount, self.context.profile.client.currency)

    def build(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """A section's value without displaying it (tests, the board pack)."""
        return getattr(type(self), name).build(self, *args, **kwargs)

    def refresh(self, context: Context) -> None:
        """Recompute from a new context and redraw, in place, every section already shown whose output changed; an
        unchanged one is not sent again, which would only make the browser draw it again."""
        self.context = context
        for name in [n for n, v in vars(self).items() if n.startswith("result")]:
            delattr(self, name)  # drop cached results
        for name, (method, args, kwargs, handle) in self._shown.items():
            obj, raw = _bundle(method(self, *args, **kwargs))
            drawn = _drawn(obj, raw)
            if handle is not None and drawn != self._drawn[name]:  # None outside IPython: nothing displayed
                handle.update(obj, raw=raw)
                self._drawn[name] = drawn
