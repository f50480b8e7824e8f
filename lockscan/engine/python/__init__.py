"""Python source: LibCST extraction of sites, symbols and positions (``extract``), the
cheap import lexer, the nesting screen and endpoint facts."""
