"""The command line: `wso ...`. Parses arguments and renders results; it never decides."""
