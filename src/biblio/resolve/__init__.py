"""Candidates -> editions, works and persons: normalise, block, match, merge."""
