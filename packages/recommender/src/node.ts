export { readCatalogCsv } from './readCatalogCsv.ts'
