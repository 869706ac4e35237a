"""The demo: ``zhifa demo`` loads each app's demo data in order (registry, cases, review,
publicity). It belongs to no single app, so the lower apps never import the ones above them."""
