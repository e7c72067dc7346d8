"""Township Desk (乡镇党建数据填报): the application package."""

__version__ = "0.1.0"
APP_NAME = "乡镇党建数据填报"
