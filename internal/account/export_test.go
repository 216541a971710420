package account

// PasswordChecks returns how many argon2id computations the service has run:
// tests use it to prove that throttled attempts never reach the hash.
func (s *Service) PasswordChecks() int64 { return s.gate.checks.Load() }

// FillPasswordGate takes every slot of the password gate, as a flood of
// sign-ins would, until release is called.
func (s *Service) FillPasswordGate() (release func()) {
	n := cap(s.gate.slots)
	for range n {
		s.gate.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.gate.slots
		}
	}
}
