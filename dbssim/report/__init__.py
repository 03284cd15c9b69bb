"""Finished sessions as HTML reports with inline SVG charts."""
