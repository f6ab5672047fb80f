package sandbox

// Live turns a quiet simulator's random activity on from the world's Now, for a world built by
// BuildShape that should keep changing in real time: clients send requests again (the rest of
// today at the day's rate, then whole days as AdvanceTo reaches them) and the team works the
// new leads. The deals BuildShape made are not worked. A simulator that is not quiet is left
// as it is.
func (s *Sim) Live() {
	if !s.quiet {
		return
	}
	s.quiet = false
	now := s.w.Now().UTC()
	s.w.Read(func(d *Data) { s.leadNo = max(s.leadNo, len(d.Leads)) })
	s.scheduleArrivalsFrom(s.localMidnight(now), now)
}
