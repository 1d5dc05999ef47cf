-- who assigned and who cancelled a ticket (an employee's name, or customer-service)
ALTER TABLE tickets ADD COLUMN assigned_by text, ADD COLUMN cancelled_by text;
