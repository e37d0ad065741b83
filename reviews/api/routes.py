"""The one router every part of the API adds its operations to: an address that several
parts serve (a review is read by anyone, edited by its writer) is one route with all its
methods."""

from ninja import Router

router = Router()
