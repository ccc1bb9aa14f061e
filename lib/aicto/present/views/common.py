"""Shared pieces for every report view: escaped HTML fragments, number formatting, the notebook set-up."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from aicto.model.costs import Rework
from aicto.model.engagement import Engagement, build_engagement
from aicto.model.validation import load_client
from aicto.present.charts import PLOTLY_MIME, Chart, figure_bundle
from aicto.profile.playbook import Brand, Playbook, load_playbook
from aicto.profile.problems import InputError
from aicto.profile.schema import Profile
from aicto.text import dates, words
from aicto.text.money import MoneyFormat, money, money_range, product
from aicto.text.spelling import respell
from aicto.text.wrapping import breakable

FRAGMENTS = Path(__file__).resolve().parents[1] / "templates" / "fragments"
LIVE_PREFIX = "aicto:"  # layout.meta of a report chart in consultant mode: "aicto:<section>", how the page finds it
NO_MATHS = "tex2jax_ignore mathjax_ignore"  # JupyterLab typesets "$300K-$450K" as maths without these (MathJax 2, 3)


_LINE_BREAK = re.compile(r"<br\s*/?>|</(?:div|p|tr|li|h[1-6]|caption|table|ul|ol)\s*>", re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


class Html(str):
    """An HTML fragment that notebooks display as a rich output; shown literally, never as maths."""

    def _repr_html_(self, **data: str | int) -> str:
        """The fragment in an element of its own; `data` become its data-aicto-* attributes."""
        attributes = "".join(f' data-aicto-{name}="{html.escape(str(value))}"' for name, value in data.items())
        return f'<div class="{NO_MATHS}"{attributes}>{self}</div>'

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **data: str | int) -> dict[str, str]:
        """The HTML and its words as plain text, instead of IPython's repr of the HTML: that repeated every fragment
        in every output, so each output, message and saved notebook carried it twice."""
        return {"text/html": self._repr_html_(**data), "text/plain": self.plain_text()}

    def plain_text(self) -> str:
        """The fragment's words, a line per block (row, paragraph, heading), for a reader without HTML."""
        words = html.unescape(_TAG.sub("", _CELL_END.sub(" ", _LINE_BREAK.sub("\n", self))))
        return "\n".join(line for line in (_SPACES.sub(" ", line).strip() for line in words.splitlines()) if line)


@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(FRAGMENTS)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["breakable"] = breakable
    env.filters.update(words.FILTERS)
    return env


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


def _clean_input_errors(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    """Show a bad profile as its plain problem list, never as a traceback."""
    print(str(value), file=sys.stderr)


def _bundle(obj: Any, export: bool = True, live: tuple[str, int] | None = None) -> tuple[Any, bool]:
    """What IPython should display for a section's value: a chart becomes its MIME bundle (without the export's
    HTML when `export` is false), an HTML fragment its bundle (displayed as it is, without asking each of IPython's
    formatters about it). `live` (the section's name and the redraw's version) marks it for the page to find in
    consultant mode: a chart by its figure's meta, an HTML fragment by its element's data attributes."""
    if isinstance(obj, Chart):
        bundle = figure_bundle(obj, export)
        if live is not None:
            bundle[PLOTLY_MIME]["layout"]["meta"] = LIVE_PREFIX + live[0]
        return bundle, True
    if isinstance(obj, Html):
        return obj._repr_mimebundle_(**({"section": live[0], "version": live[1]} if live else {})), True
    return obj, False


def _drawn(obj: Any, bundle: Any) -> Any:
    """What a section's value draws, to tell whether a redraw changes it: a chart's figure as sent (its export HTML
    carries a fresh element id each time), anything else the value itself."""
    return bundle[PLOTLY_MIME] if isinstance(obj, Chart) else obj


def _live_content(obj: Any, bundle: dict, version: int) -> dict:
    """What the page needs to draw a section in place (its HTML, or its chart's figure) and to write its output
    into the notebook (the output's other data)."""
    data = {mime: value for mime, value in bundle.items() if mime != PLOTLY_MIME}
    if isinstance(obj, Chart):
        return {"version": version, "figure": bundle[PLOTLY_MIME], "data": data}
    return {"version": version, "html": str(obj), "data": data}


def section(method: Callable[..., Any] | None = None, *, late: bool = False) -> Any:
    """Mark a view method as a report section: calling it displays its value, in the practice's spelling, under a
    display id, so that `View.refresh` can redraw it in place when the inputs change (consultant mode). A `late`
    section reads a slow part of the model (the Monte Carlo): a redraw sends it after the others, which the browser
    can draw meanwhile."""
    if method is None:
        return functools.partial(section, late=late)

    @functools.wraps(method)
    def build(self: View, *args: Any, **kwargs: Any) -> Any:
        return self.respelled(method(self, *args, **kwargs))

    @functools.wraps(method)
    def show(self: View, *args: Any, **kwargs: Any) -> None:
        from IPython.display import display

        name = method.__name__
        value = build(self, *args, **kwargs)
        obj, raw = _bundle(value, live=self._live_mark(name))
        self._shown[name] = (build, args, kwargs, display(obj, raw=raw, display_id=True))
        self._drawn[name] = _drawn(value, obj)

    show.build = build  # type: ignore[attr-defined]
    show.late = late  # type: ignore[attr-defined]
    return show


@contextlib.contextmanager
def _one_stream_flush() -> Iterator[None]:
    """Display updates with one flush of stdout and stderr before them, not one each. ipykernel flushes both before
    every display message, each a round trip to its IO thread that holds the kernel (about 0.7 ms, several when the
    browser keeps the other core busy): 24 a redraw of a dozen sections. A redraw writes to neither stream."""
    from IPython import get_ipython

    publisher = getattr(get_ipython(), "display_pub", None)
    flush = getattr(publisher, "_flush_streams", None)
    if flush is None:  # not ipykernel's publisher: nothing to save
        yield
        return
    flush()
    publisher._flush_streams = lambda: None  # type: ignore[union-attr]
    try:
        yield
    finally:
        del publisher._flush_streams  # type: ignore[union-attr]


def client_words(profile: Profile) -> tuple[str, ...]:
    """The client's own text in the profile (names, notes, decisions, ...): kept as written, never respelled."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if respell(node, "en-US") != node or respell(node, "en-GB") != node:
                found.append(node)
        elif isinstance(node, Mapping):
            for item in node.values():
                walk(item)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(profile.model_dump(mode="json"))
    return tuple(sorted(set(found), key=len, reverse=True))


# The properties of a plotly figure that hold words a reader sees; everything else (positions, enumerations such as
# "top center", colours) is left alone.
FIGURE_TEXT = {"text", "name", "hovertemplate", "texttemplate", "x", "y", "theta", "ticktext", "customdata", "labels",
               "categoryarray"}


def respell_figure(chart: Chart, convert: Callable[[str], str]) -> Chart:
    """A chart with the words in it (titles, trace names, labels, hover texts) passed through `convert`; plotly's
    template, which holds no words of ours, is left as it is."""

    def words(node: Any) -> Any:
        if isinstance(node, str):
            return convert(node)
        if isinstance(node, list | tuple):
            return [words(item) for item in node]
        return node

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: item if key == "template" else words(item) if key in FIGURE_TEXT else walk(item)
                    for key, item in node.items()}
        if isinstance(node, list | tuple):
            return [walk(item) for item in node]
        return node

    return Chart(walk(chart))


class LiveRedraw(Protocol):
    """Who redraws a live notebook's sections in the page (consultant mode), faster than JupyterLab's display updates
    and also for charts, whose renderer ignores those."""

    def draw(self, sections: Mapping[str, dict], update_outputs: Callable[[], None]) -> None:
        """Draw these sections (name -> {"version", "html" or "figure"}) in the page, and call `update_outputs` to
        bring the notebook's outputs up to date, at once or later."""


@dataclass(frozen=True)
class Context:
    profile: Profile
    playbook: Playbook
    profile_path: Path

    @functools.cached_property
    def client_words(self) -> tuple[str, ...]:
        return client_words(self.profile)


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
    return Context(load_client(profile_path, playbook), playbook, Path(profile_path))


class View:
    """Base of every report view: sections computed from one Context, redrawn together on `refresh`."""

    def __init__(self, context: Context):
        self.context = context
        self._shown: dict[str, tuple] = {}
        self._drawn: dict[str, Any] = {}  # what each shown section draws now
        self._outdated: dict[str, tuple] = {}  # section -> (display handle, bundle, raw) its output is to show
        self._redraws = 0
        self.live_redraw: LiveRedraw | None = None  # set by consultant mode before the sections are shown

    def _live_mark(self, name: str) -> tuple[str, int] | None:
        """The section's name and this redraw's version, by which the page finds its output (consultant mode)."""
        return (name, self._redraws) if self.live_redraw else None

    @functools.cached_property
    def result_engagement(self) -> Engagement:
        """The client's one engagement; every section of every report reads its figures from it."""
        return build_engagement(self.context.profile, self.context.playbook)

    def money(self, amount: float) -> str:
        """An amount on its own (a KPI, a sentence with no other amount) in the client's currency."""
        return money(amount, self.context.profile.client.currency, self.context.playbook.brand.locale)

    def money_range(self, span: Any) -> str:
        """A low-high range on its own (anything with .low and .high), both ends at one scale."""
        return money_range(span.low, span.high, self.context.profile.client.currency,
                           self.context.playbook.brand.locale)

    def rework_rate(self, rework: Rework) -> str:
        """Who redoes a wrong decision's work, at what a week: "the AI team's $8,846/week"."""
        weekly = self.money(rework.weekly)
        return f"the agency's {weekly}/week of fees" if rework.payer == "agency" else f"the AI team's {weekly}/week"

    def money_format(self, *amounts: Any) -> MoneyFormat:
        """The one format for the amounts of a table or a sentence; a range (.low, .high) counts both ends."""
        flat = [x for a in amounts for x in ((a.low, a.high) if hasattr(a, "low") else (a,))]
        return MoneyFormat.fit(flat, self.context.profile.client.currency, self.context.playbook.brand.locale)

    def product(self, rate: float, unit: str, *factors: tuple[float, str], total: bool = True) -> str:
        """Arithmetic that adds up: "£988/day × 1 day a week × 8 weeks = £7,904" (see aicto.text.money.product)."""
        return product(rate, unit, factors, self.context.profile.client.currency, self.context.playbook.brand.locale,
                       total)

    def paid_days(self) -> str:
        """The fee's days in words: "23.2 paid days (2 days a week for 12 weeks, 2 holidays not billed)"."""
        e, costs = self.context.profile.engagement, self.result_engagement.costs
        full = e.days_per_week * e.weeks
        off = round((full - costs.cto_days_paid) * 5 / e.days_per_week) if e.days_per_week else 0
        holidays = f", {words.count(off, 'holiday')} not billed" if off > 0 else ""
        return (f"{words.count(round(costs.cto_days_paid, 2), 'paid day')} ({words.count(e.days_per_week, 'day')} a "
                f"week for {words.count(e.weeks, 'week')}{holidays})")

    @property
    def locale(self) -> str:
        return self.context.playbook.brand.locale

    def date(self, date: dt.date) -> str:
        """A full date in the practice's locale: "March 2, 2026" / "2 March 2026"."""
        return dates.long_date(date, self.locale)

    def day_month(self, date: dt.date) -> str:
        """A day of the plan in the practice's locale: "Mar 2" / "2 Mar"."""
        return dates.day_month(date, self.locale)

    def day_month_range(self, start: dt.date, end: dt.date) -> str:
        """Days of the plan in the practice's locale: "Feb 1 – 7" / "1–7 Feb"."""
        return dates.day_month_range(start, end, self.locale)

    def date_range(self, start: dt.date, end: dt.date) -> str:
        return dates.date_range(start, end, self.locale)

    def respelled(self, obj: Any) -> Any:
        """A section's value in the practice's spelling, the client's own words kept as written."""
        keep = self.context.client_words

        def convert(text: str) -> str:
            return respell(text, self.locale, keep)

        if isinstance(obj, Chart):
            return respell_figure(obj, convert)
        if isinstance(obj, str):
            return type(obj)(convert(obj)) if isinstance(obj, Html) else Html(convert(obj))
        return obj

    def build(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """A section's value without displaying it (tests, the board pack)."""
        return getattr(type(self), name).build(self, *args, **kwargs)

    def refresh(self, context: Context) -> None:
        """Recompute from a new context and redraw, in place, every section already shown whose value changed; an
        unchanged one is not sent again, which would only make the browser draw it again. The sections that wait for
        the Monte Carlo go after the others, which the page draws meanwhile."""
        self.context = context
        for name in [n for n, v in vars(self).items() if n.startswith("result")]:
            delattr(self, name)  # drop cached results
        self._redraws += 1
        for late in (False, True):
            live = {}
            for name, (method, args, kwargs, handle) in self._shown.items():
                if getattr(type(self), name).late is not late:
                    continue
                value = method(self, *args, **kwargs)
                # a live redraw: nothing exports it
                obj, raw = _bundle(value, export=False, live=self._live_mark(name))
                drawn = _drawn(value, obj)
                if handle is None or drawn == self._drawn[name]:  # None outside IPython: nothing displayed
                    continue
                self._drawn[name] = drawn
                self._outdated[name] = (handle, obj, raw)
                if raw:
                    live[name] = _live_content(value, obj, self._redraws)
            if self.live_redraw is None:
                self.update_outputs()
            elif live:
                self.live_redraw.draw(live, self.update_outputs)

    def update_outputs(self) -> None:
        """Bring the notebook's outputs of the redrawn sections up to date: what a saved and reopened notebook shows."""
        if not self._outdated:
            return
        outdated, self._outdated = self._outdated, {}
        with _one_stream_flush():
            for handle, obj, raw in outdated.values():
                handle.update(obj, raw=raw)
