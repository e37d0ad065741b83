from .generator import PlanError, Sizes, Written, generate, plan, write

__all__ = ["PlanError", "Sizes", "Written", "generate", "plan", "write"]
