"""The practice's language: money, dates, plurals and spelling as the practice writes them.

The bottom layer. It knows nothing of clients or models and imports nothing from aicto outside itself; every layer
above may use it, so a figure or a word is written one way everywhere.
"""
