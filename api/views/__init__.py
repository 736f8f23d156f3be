"""DRF views: validate input, call one service or selector, serialize the result."""
