// Package loadgen measures a whole Rounds server under load: it builds a
// synthetic network straight through the services' bulk paths (accounts,
// a power-law follow graph, a million public posts by default), then drives
// a server on the same database over loopback HTTP with concurrent API
// clients and reports throughput and latency percentiles per scenario.
//
// It is an operator's tool. It writes only synthetic accounts (named
// lg0000000…, with .invalid email addresses), drives only servers on this
// machine, and revokes the tokens it issued when it is done. It never
// asserts anything about time: the figures go to docs/PERFORMANCE.md.
package loadgen
