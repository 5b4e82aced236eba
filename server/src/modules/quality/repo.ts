/**
 * The quality module's tables, by bounded context: standards (defect codes, standards, plans,
 * switching states), inspections (orders, results, dispositions) and reports. Only these files
 * read and write them; this re-exports the first two for the module's services.
 */
export * from './inspection-repo.js';
export * from './standards-repo.js';
