'use strict';
// require('durable-graph/storage'): the ES module entry point, loaded through Node's require() of ES modules (see load.cjs).
module.exports = require('./load.cjs')(() => require('../dist/storage.js'), 'durable-graph/storage');
