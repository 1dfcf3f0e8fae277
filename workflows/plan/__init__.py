"""The transfer plan's workflow (rencana mutasi): draft, optimise, approve, carry out."""
