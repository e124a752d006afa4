'use strict';
// require('durable-graph/dev-server'): the ES module entry point, loaded through Node's require() of ES modules (see load.cjs).
module.exports = require('./load.cjs')(() => require('../dist/dev-server/index.js'), 'durable-graph/dev-server');
