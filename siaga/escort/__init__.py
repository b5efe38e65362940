"""Ballot-logistics escort (pengawalan logistik): the legs KPU warehouse -> PPK -> PPS -> TPS and back."""
