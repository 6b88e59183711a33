"""Command-line commands for compliance reports and the deploy gate."""
