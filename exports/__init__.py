"""Excel exports and indicators.

Exports are declared as data (core ones here, plugin ones through
``register_exports``) and written by one engine with the workbook
conventions; indicators are declared the same way (``register_indicators``)
and computed per scope and period with their targets.
"""
