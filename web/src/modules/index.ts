import type { ModuleDef } from '../app/module';
import admin from './admin';
import equipment from './equipment';
import masterdata from './masterdata';
import production from './production';
import purchasing from './purchasing';
import quality from './quality';
import reports from './reports';
import sales from './sales';
import stock from './stock';

/**
 * Every module of the console, in menu order. A new module is one folder (src/modules/<id>/) and one
 * line here; see web/README.md.
 */
export const MODULES: ModuleDef[] = [masterdata, stock, purchasing, sales, production, quality, equipment, reports, admin];
