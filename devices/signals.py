"""What devices tells the other apps."""

from __future__ import annotations

from django.dispatch import Signal

# A device was removed (signed out and its addresses erased): device. Each receiver erases
# the device's IP addresses and locations from its own rows and returns the set of
# addresses it held, so rows logged from those addresses without a device go too.
device_removed = Signal()

# The account holder renamed a device: device (its .name is the new one). Receivers show the
# new name on their rows that kept the old one as text.
device_renamed = Signal()
