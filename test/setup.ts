import nock from 'nock';

// No test reaches the network: GitHub is the in-memory fake, and loopback is for our own servers.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
