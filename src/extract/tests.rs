//! Unit tests on invented decisions in the style of the CNIL (French and English).
use super::*;
