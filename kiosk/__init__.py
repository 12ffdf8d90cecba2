"""Loket touchscreen kiosk: visitors pick a service, register and take a queue ticket."""
