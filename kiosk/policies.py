"""The city's policy file, read once per process: every screen that needs rates, limits, rules or
the catalogue shares one parsed copy (a terminal's policy only changes with a deployment)."""

from __future__ import annotations

from functools import cache

from domain.catalogue import Catalogue, load_catalogue
from domain.loan_limits import LoanLimitPolicy, load_loan_limit_policy
from domain.policy import PolicyError, Table, load_policy_table
from domain.rates import RateTable, load_rate_table
from domain.withdrawals import WithdrawalPolicy, load_withdrawal_policy

_ERRORS = (PolicyError, OSError, KeyError, ValueError)


@cache
def policy_table(city: str) -> Table:
    return load_policy_table(city)


@cache
def rate_table(city: str) -> RateTable | None:
    try:
        return load_rate_table(policy_table(city))
    except _ERRORS:
        return None


@cache
def loan_limit_policy(city: str) -> LoanLimitPolicy | None:
    try:
        return load_loan_limit_policy(policy_table(city))
    except _ERRORS:
        return None


@cache
def catalogue(city: str) -> Catalogue | None:
    try:
        return load_catalogue(city)
    except _ERRORS:
        return None


@cache
def withdrawal_policy(city: str) -> WithdrawalPolicy | None:
    try:
        return load_withdrawal_policy(city)
    except _ERRORS:
        return None
