"""The catalog's pages, one module per feature.

- common: what every catalog view shares (a profile picked, the policy's answer for a title)
- browse: browse, search, a title's page and its poster
- playback: watch, heartbeat, stop a stream, and the PIN that unlocks a title or hours
- activity: viewing activity, its CSV download, hide and unhide, and streaming activity

Every view that lists, shows or plays a title asks parental.policy; see its docstring.
"""
