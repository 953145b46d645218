"""Polls and temperature checks: the secretariat asks all members, a circle lead their circle."""
