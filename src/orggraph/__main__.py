"""``python -m orggraph`` runs the command-line interface."""

from .cli import main

main()
