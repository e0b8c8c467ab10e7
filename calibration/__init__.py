"""Calibration of the asylum-chain model: sourced data, inflow history, fit and diagnostics."""
