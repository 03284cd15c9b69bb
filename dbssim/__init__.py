"""dbssim: a deep brain stimulation programming-session simulator.

Importing the package has no side effects: no files are read, no random
numbers are drawn and no user interface is started.
"""

__version__ = "0.1.0"
