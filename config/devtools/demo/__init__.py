from .generator import SIZES, PlanError, Sizes, Written, generate, plan, write

__all__ = ["SIZES", "PlanError", "Sizes", "Written", "generate", "plan", "write"]
