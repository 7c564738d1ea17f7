"""Block names made by the interop suite, and the leftover check's bookkeeping."""

import itertools
import os
import re

AUTO_NAME = re.compile(r"^psm_[0-9a-f]{8}$")  # CPython's and pyshm's generated names
_counter = itertools.count()
MADE = set()  # every name a test made or a process reported making


def new_name(tag="n"):
    """A fresh block name for this run, remembered for the leftover check."""
    name = "pyshmit_%d_%d%s" % (os.getpid(), next(_counter), tag)
    MADE.add(name)
    return name


def remember(name):
    """Puts a name some process generated (psm_...) under the leftover check."""
    MADE.add(name.lstrip("/"))
    return name
