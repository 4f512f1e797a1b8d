"""The tool's name and version, as outputs and the manifest record them."""

__version__ = "0.1.0"
TOOL = f"dossiers {__version__}"
