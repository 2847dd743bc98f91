"""``python -m jingdu`` runs the command line."""

from jingdu.cli import main

main()
