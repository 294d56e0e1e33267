/* Stands in for MathJax so the kitchen sink needs no network: math stays TeX source. */
