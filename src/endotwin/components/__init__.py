"""Model components: one modelled concept per module, each with states, rhs and citations."""
