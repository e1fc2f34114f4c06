console.log('prompt-registry');
