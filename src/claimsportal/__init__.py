"""Claims Portal: the low-value personal injury claims portal for England & Wales."""
