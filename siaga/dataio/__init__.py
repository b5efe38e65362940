"""Moving data between files, scenarios and the database (import, export, scenario loading).

These are services in the HackSoft sense: each public function is one transaction, validates all
input before it writes, and records who did it.
"""
