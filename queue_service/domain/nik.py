"""NIK rules for the queue: the shared rules of :mod:`loket.nik`."""

from loket.nik import FIELD, InvalidNIK, mask_nik, mask_phone, validate_nik

__all__ = ["FIELD", "InvalidNIK", "mask_nik", "mask_phone", "validate_nik"]
