"""wso: runs a county jail's ICE Warrant Service Officer program lawfully, and shows what it does."""

__version__ = "0.1.0"
