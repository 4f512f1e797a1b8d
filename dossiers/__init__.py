"""dossiers: sanctions and actor dossiers in which every claim cites its source."""

__version__ = "0.1.0"
