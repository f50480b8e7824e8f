"""The switch cost per target: how much work a move to each provider would be, with the
contributors that add up to it and the changes that would lower it most."""
