"""``python -m multipolar.cli``: the ``multipolar`` script."""
from . import main

main()
