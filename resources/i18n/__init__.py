"""Qt translation files: `hpf_<lang>.ts` (sources, edited in Qt Linguist) and the compiled `.qm`."""
