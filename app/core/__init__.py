"""What every feature stands on: database, cache, errors, security, limits, assets."""
