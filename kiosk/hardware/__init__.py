"""Hardware facades (printer, sound) with simulated implementations, plyer-style."""
