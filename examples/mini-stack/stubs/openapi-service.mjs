#!/usr/bin/env node
// The mini-stack's OpenAPI service: a small product catalogue with its
// OpenAPI 3 document at GET /openapi.json. agentd turns each operation
// (searchProducts, getProduct) into a tool. Fixed data, same answers every time.
import { HttpError, sendJson, serve } from './serve.mjs';

const PRODUCTS = [
  { sku: 'KB-01', name: 'Mechanical keyboard', price_eur: 89, stock: 12 },
  { sku: 'MS-02', name: 'Wireless mouse', price_eur: 25, stock: 40 },
  { sku: 'MN-27', name: '27-inch monitor', price_eur: 239, stock: 3 },
];

const Product = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    name: { type: 'string' },
    price_eur: { type: 'number' },
    stock: { type: 'integer' },
  },
};

/** The document; its server is where it was fetched from, so it works in compose and on localhost alike. */
function document(origin) {
  return {
    openapi: '3.0.3',
    info: { title: 'Catalogue (agentd mini-stack example)', version: '1.0.0' },
    servers: [{ url: origin }],
    paths: {
      '/products': {
        get: {
          operationId: 'searchProducts',
          summary: 'Products whose name contains the query',
          parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            200: {
              description: 'Matching products',
              content: { 'application/json': { schema: { type: 'array', items: Product } } },
            },
          },
        },
      },
      '/products/{sku}': {
        get: {
          operationId: 'getProduct',
          summary: 'One product by its SKU',
          parameters: [{ name: 'sku', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The product', content: { 'application/json': { schema: Product } } },
            404: { description: 'No such product' },
          },
        },
      },
    },
  };
}

serve('stub-openapi', async (req, res, url) => {
  if (req.method !== 'GET') throw new HttpError(405, 'use GET');
  if (url.pathname === '/openapi.json') {
    return sendJson(res, 200, document(`http://${req.headers.host ?? 'stub-openapi:8080'}`));
  }
  if (url.pathname === '/products') {
    const query = (url.searchParams.get('q') ?? '').toLowerCase();
    return sendJson(
      res,
      200,
      PRODUCTS.filter((product) => product.name.toLowerCase().includes(query)),
    );
  }
  const match = /^\/products\/([^/]+)$/.exec(url.pathname);
  const product = match ? PRODUCTS.find((item) => item.sku === decodeURIComponent(match[1])) : undefined;
  if (!product) throw new HttpError(404, 'no such product');
  sendJson(res, 200, product);
});
