"""``python -m orggraph`` runs the command-line interface."""

from orggraph.cli import main

main()
