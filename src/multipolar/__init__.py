"""multipolar: the fragmenting international system in numbers."""
