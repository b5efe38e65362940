"""Election day: TPS status reports, incidents and their lifecycle, dispatch of reserve squads, the event log."""
