// Package score measures a PHI detector against gold-standard texts: it
// loads development sets (JSON Lines with byte offsets, or texts written
// with inline [[TYPE|words]] markup) and counts recall and precision three
// ways: strict (same type, same span), overlap (same type, any overlap) and
// any-type overlap (was the identifier caught at all, the measure the
// PhysioNet deid study reports). It knows nothing of how spans are found
// and never touches the network.
package score
